/**
 * The data the server put in the page (src/web/page-shell.ts): a `<script type="application/json"
 * id="boot">`, which the Content-Security-Policy allows because it is never executed.
 */
export function bootData<T>(): T | undefined {
  const element = document.getElementById('boot');
  if (element === null || element.textContent === null || element.textContent === '') return undefined;
  return JSON.parse(element.textContent) as T;
}
