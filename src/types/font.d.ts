// wrangler (and the vitest pool) turn an imported .ttf file into its bytes (the Data rule in wrangler.toml).
declare module '*.ttf' {
  const data: ArrayBuffer;
  export default data;
}
