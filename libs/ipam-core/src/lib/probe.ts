export const probe = (a: bigint): bigint => a + 1n;
