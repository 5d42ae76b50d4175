/** Marks the end of an exhaustive `switch`: adding a case to a union breaks the build here. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
