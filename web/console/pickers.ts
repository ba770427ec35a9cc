import { html } from '../shared/html.js';
import { api, seg } from './api.js';
import { Select, Status, useLoad } from './ui.js';

export interface Account {
  id: string;
  name: string;
  subscribed: boolean;
  createdAt: string;
}
export interface Space {
  id: string;
  name: string;
  wabaId: string;
  createdAt: string;
  ownToken: boolean;
}

/** The account a page works on: a select of every account. */
export function AccountPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const accounts = useLoad(() => api<{ accounts: Account[] }>('GET', 'accounts'), []);
  if (accounts.data === undefined) return html`<${Status} loaded=${accounts} />`;
  const options: Array<[string, string]> = [
    ['', '— choose an account —'],
    ...accounts.data.accounts.map((a): [string, string] => [a.id, `${a.name} (${a.id})`]),
  ];
  return html`<${Select}
    label="Account"
    name="account"
    value=${value}
    options=${options}
    onChange=${onChange}
  />`;
}

export function SpacePicker({
  account,
  value,
  onChange,
}: {
  account: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const spaces = useLoad(
    () =>
      account === ''
        ? Promise.resolve({ spaces: [] as Space[] })
        : api<{ spaces: Space[] }>('GET', `accounts/${seg(account)}/spaces`),
    [account],
  );
  if (spaces.data === undefined) return html`<${Status} loaded=${spaces} />`;
  const options: Array<[string, string]> = [
    ['', '— choose a customer space —'],
    ...spaces.data.spaces.map((s): [string, string] => [s.id, `${s.name} (${s.id})`]),
  ];
  return html`<${Select}
    label="Customer space"
    name="space"
    value=${value}
    options=${options}
    onChange=${onChange}
  />`;
}
