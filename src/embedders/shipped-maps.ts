/**
 * Embedding maps shipped beside their embedder in models/, read and sha256-checked like a model
 * file (so Node and the browser load the same numbers). Written by `npm run models:age-map`.
 */
export interface ShippedMap {
  /** Option value that names it. */
  name: string;
  file: string;
  sha256: string;
  bytes: number;
  card: string;
}

export const SHIPPED_MAPS: Record<string, ShippedMap> = {
  mobilefacenet: {
    name: 'lag-dev',
    file: 'mobilefacenet-age-map.json',
    sha256: '6c393fcd7f70a630b54a9564ecbec7ae39758dd2a42e96814436b6f5c63a34b3',
    bytes: 170841,
    card: 'cards/mobilefacenet-age-map.md',
  },
};
