import type { CustomFieldType } from '../../src/library/search/types';

/** Custom metadata fields of every type, and a fixed clock, for the search language tests (Node and workerd). */
export const SEARCH_FIELDS: Record<string, CustomFieldType> = {
  brand: 'Text',
  notes: 'Textarea',
  price: 'Number',
  launch: 'Date',
  onSale: 'Boolean',
  color: 'SingleSelect',
  sizes: 'MultiSelect',
};

export const SEARCH_NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
