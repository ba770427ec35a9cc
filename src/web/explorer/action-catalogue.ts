import type { Product } from '../../actions/products.js';
import type { AccessLevel, ParamLocation } from '../../actions/spec.js';

/** One parameter as the explorer shows it and checks it (src/actions/param-check.ts `ParamRule`). */
export interface CatalogueParam {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'json' | 'boolean';
  readonly location: ParamLocation;
  readonly required: boolean;
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly allowEmpty?: boolean;
  readonly deprecated?: boolean;
  /** Not in Alibaba's API nor the SDK's model (spec.ts `ParamSpec.extension`). */
  readonly extension?: boolean;
  readonly description: string;
}

/** A product on the port as the explorer groups it (src/actions/products.ts `Product`). */
export interface CatalogueProduct {
  /** The RAM service code (`cams`, `ram`, `sts`): the prefix of the URL hash `#ram/CreateUser`. */
  readonly code: string;
  /** As Alibaba names it (`Cams`, `Ram`, `Sts`): the class name of its official SDK. */
  readonly name: string;
  readonly version: string;
}

export interface CatalogueAction {
  readonly product: Pick<CatalogueProduct, 'code' | 'name'>;
  /** The API Version the action is called with (its product's). */
  readonly version: string;
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
  readonly products: readonly CatalogueProduct[];
  /** Every implemented action, product by product in the order of `products`. */
  readonly actions: readonly CatalogueAction[];
}

/**
 * The explorer's list of actions of every product on the port, read from the same specs the gateway validates with (one source of
 * truth, architecture.md, "Adding an action"): every declared field of every parameter, nothing typed
 * twice. Public documentation: it holds no account data.
 */
export function actionCatalogue(
  products: Iterable<Pick<Product, 'code' | 'name' | 'version' | 'actions'>>,
): ActionCatalogue {
  const listed = [...products];
  return {
    products: listed.map((p) => ({ code: p.code, name: p.name, version: p.version })),
    actions: listed.flatMap((product) =>
      [...product.actions.values()].map((a) => ({
        product: { code: product.code, name: product.name },
        version: product.version,
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
          ...(p.extension === undefined ? {} : { extension: p.extension }),
          description: p.description,
        })),
        limitations: [...a.limitations],
      })),
    ),
  };
}
