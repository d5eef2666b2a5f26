export declare const POSTGRES_BINARIES: string[];
export declare function findPostgresBin(): string | undefined;
