/** The catalogue the server publishes at /explorer/api/actions (src/web/explorer/action-catalogue.ts). */
export type {
  ActionCatalogue,
  CatalogueAction,
  CatalogueParam,
} from '../../src/web/explorer/action-catalogue.js';
