import type { AccessLevel, ActionSpec, ParamLocation } from '../../actions/spec.js';

/** One parameter as the explorer shows it and checks it (src/actions/param-check.ts `ParamRule`). */
export interface CatalogueParam {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'json';
  readonly location: ParamLocation;
  readonly required: boolean;
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly allowEmpty?: boolean;
  readonly deprecated?: boolean;
  readonly description: string;
}

export interface CatalogueAction {
  readonly name: string;
  readonly summary: string;
  readonly ramAction: string;
  readonly accessLevel: AccessLevel;
  readonly writes: boolean;
  readonly qps: number;
  readonly params: readonly CatalogueParam[];
  readonly limitations: readonly string[];
}

export interface ActionCatalogue {
  readonly version: string;
  readonly actions: readonly CatalogueAction[];
}

/**
 * The explorer's list of actions, read from the same specs the gateway validates with (one source of
 * truth, architecture.md, "Adding an action"): every declared field of every parameter, nothing typed
 * twice. Public documentation: it holds no account data.
 */
export function actionCatalogue(
  actions: ReadonlyMap<string, ActionSpec<unknown>>,
  version: string,
): ActionCatalogue {
  return {
    version,
    actions: [...actions.values()].map((a) => ({
      name: a.name,
      summary: a.summary,
      ramAction: a.ramAction,
      accessLevel: a.accessLevel,
      writes: a.writes,
      qps: a.qps,
      params: a.params.map((p) => ({
        name: p.name,
        type: p.type,
        location: p.location,
        required: p.required,
        ...(p.maxLength === undefined ? {} : { maxLength: p.maxLength }),
        ...(p.enum === undefined ? {} : { enum: [...p.enum] }),
        ...(p.allowEmpty === undefined ? {} : { allowEmpty: p.allowEmpty }),
        ...(p.deprecated === undefined ? {} : { deprecated: p.deprecated }),
        description: p.description,
      })),
      limitations: [...a.limitations],
    })),
  };
}
