/** Names handed out once within one scope (a file, a function, a key table): `base`, then `base2`, `base3`, … */
export class Names {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** A nested scope (a block): it avoids every name taken here so far; what it hands out is not taken here. */
  fork(): Names {
    return new Names(this.taken);
  }

  unique(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }
}
