/** Debian's chromium binary (the /usr/bin/chromium wrapper is a shell script). */
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
