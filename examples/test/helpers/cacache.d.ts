// The part of cacache's API the local registry reads npm's cache with (cacache ships no types).
declare module "cacache" {
  const cacache: {
    readonly get: {
      hasContent(cache: string, integrity: string): Promise<false | { readonly sri: unknown; readonly size: number }>;
      byDigest(cache: string, integrity: string): Promise<Buffer>;
    };
  };
  export default cacache;
}
