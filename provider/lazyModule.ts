// Stand-ins that build.js bundles into dist/provider.js in place of modules that @pulumi/pulumi requires
// when it loads but this package's provider never uses (its schema comes precomputed; it serializes no
// closures and runs no Automation API): TypeScript (about 0.45 s, left out of the bundle), the Automation
// API (about 75 ms) and closure serialization's package walk (about 50 ms). Each loads the real module on
// first use, so anything that does use one still gets it.

/** A module object that loads the real one at the first look inside it. */
export function lazyModule(load: () => object): object {
    let real: Record<string | symbol, unknown> | undefined;
    const target = () => (real ??= load() as Record<string | symbol, unknown>);
    return new Proxy({}, {
        // TypeScript's `import * as` helper asks this first: answering it must not load the module.
        get: (_stub, key) => (key === "__esModule" ? true : target()[key]),
        has: (_stub, key) => key in target(),
        ownKeys: () => Reflect.ownKeys(target()),
        getOwnPropertyDescriptor: (_stub, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
    });
}

/**
 * A module object whose functions `names` load the real module when first called: for a module whose
 * importer copies its functions out when it loads (which would defeat {@link lazyModule}).
 */
export function lazyFunctions(load: () => object, names: readonly string[]): Record<string, (...args: unknown[]) => unknown> {
    type Functions = Record<string, (...args: unknown[]) => unknown>;
    let real: Functions | undefined;
    return Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => (real ??= load() as Functions)[name](...args)]));
}
