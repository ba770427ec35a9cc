import { CAMS_ACTIONS } from './cams-actions.js';
import { ACTIONS, API_VERSION } from './index.js';
import { RAM_ACTIONS, RAM_API_VERSION, RAM_DECLARED_ACTIONS } from './ram/index.js';
import type { ActionSpec, RamServiceCode } from './spec.js';
import { STS_ACTIONS, STS_API_VERSION, STS_DECLARED_ACTIONS } from './sts/index.js';

/**
 * One API product on the port: its version, its actions and how the shared pipeline treats them. The
 * gateway routes a request by its Version to a product, then by its Action to a spec
 * (architecture.md, "One request, top to bottom"); validation, flow control, RAM authorization, audit
 * and serialization are the same machinery for every product.
 */
export interface Product {
  /** The RAM service code: the prefix of every action's ramAction and of the resource ARNs. */
  readonly code: RamServiceCode;
  /** As Alibaba names the product (the `product=` of an error's Recommend link). */
  readonly name: string;
  readonly version: string;
  readonly actions: ReadonlyMap<string, ActionSpec<unknown>>;
  /** Every action of the version as the official SDK declares it; the others answer Action.NotImplemented. */
  readonly declared: readonly string[];
  /** Whether the account must have subscribed to the product (CAMS: Product.Unsubscript). */
  readonly subscription: boolean;
  /**
   * The success envelope: CAMS answers `Code`, `Message`, `Success` and `AccessDeniedDetail` beside
   * the data (cams-api.md §2.4); RAM and STS answer `RequestId` and the data only, as their SDK models
   * declare.
   */
  readonly envelope: 'cams' | 'plain';
  /** The Code of a RAM denial: CAMS answers Ram.PermissionDeny, RAM and STS NoPermission. */
  readonly denial: 'Ram.PermissionDeny' | 'NoPermission';
}

export const CAMS_PRODUCT: Product = {
  code: 'cams',
  name: 'Cams',
  version: API_VERSION,
  actions: ACTIONS,
  declared: CAMS_ACTIONS,
  subscription: true,
  envelope: 'cams',
  denial: 'Ram.PermissionDeny',
};

export const RAM_PRODUCT: Product = {
  code: 'ram',
  name: 'Ram',
  version: RAM_API_VERSION,
  actions: RAM_ACTIONS,
  declared: RAM_DECLARED_ACTIONS,
  subscription: false,
  envelope: 'plain',
  denial: 'NoPermission',
};

export const STS_PRODUCT: Product = {
  code: 'sts',
  name: 'Sts',
  version: STS_API_VERSION,
  actions: STS_ACTIONS,
  declared: STS_DECLARED_ACTIONS,
  subscription: false,
  envelope: 'plain',
  denial: 'NoPermission',
};

/** Every product on the port, by its API Version. */
export const PRODUCTS: ReadonlyMap<string, Product> = new Map(
  [CAMS_PRODUCT, RAM_PRODUCT, STS_PRODUCT].map((p) => [p.version, p]),
);
