export type Config = {
  port: number;
  databaseUrl: string;
  publicUrl: string;
  logLevel: string;
  /** Accounts one client address may create per hour. */
  signUpsPerHour: number;
  /** Node server time-outs, in milliseconds, against clients that send slowly. */
  timeouts: ServerTimeouts;
  /** Files on inventory items: where their bytes live and how many and how big they may be. */
  files: FilesConfig;
};

export type FilesConfig = { dir: string; maxPerItem: number; maxBytes: number };

export type ServerTimeouts = { requestMs: number; headersMs: number; keepAliveMs: number };

export type ConfigError = { variable: string; message: string };

export function loadConfig(
  env: Record<string, string | undefined>,
): { ok: true; value: Config } | { ok: false; error: ConfigError } {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return {
      ok: false,
      error: { variable: 'PORT', message: `PORT must be a port number, got ${env.PORT}` },
    };
  }
  const databaseUrl = env.DATABASE_URL ?? 'sqlite:./data/commune.db';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    return {
      ok: false,
      error: {
        variable: 'DATABASE_URL',
        message: 'DATABASE_URL must start with sqlite: or postgres://',
      },
    };
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    return {
      ok: false,
      error: { variable: 'PUBLIC_URL', message: `PUBLIC_URL is not a URL: ${publicUrl}` },
    };
  }
  const signUpsPerHour = Number(env.SIGN_UPS_PER_HOUR ?? 5);
  if (!Number.isInteger(signUpsPerHour) || signUpsPerHour < 1) {
    return {
      ok: false,
      error: {
        variable: 'SIGN_UPS_PER_HOUR',
        message: `SIGN_UPS_PER_HOUR must be a whole number of at least 1, got ${env.SIGN_UPS_PER_HOUR}`,
      },
    };
  }
  const timeouts = loadTimeouts(env);
  if (!timeouts.ok) return timeouts;
  const files = loadFiles(env);
  if (!files.ok) return files;
  return {
    ok: true,
    value: {
      port,
      databaseUrl,
      publicUrl,
      logLevel: env.LOG_LEVEL ?? 'info',
      timeouts: timeouts.value,
      signUpsPerHour,
      files: files.value,
    },
  };
}

function loadTimeouts(
  env: Record<string, string | undefined>,
): { ok: true; value: ServerTimeouts } | { ok: false; error: ConfigError } {
  const read = (variable: string, fallback: number) => {
    const raw = env[variable];
    const ms = raw === undefined ? fallback : Number(raw);
    return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
  };
  const value = {
    requestMs: read('REQUEST_TIMEOUT_MS', 30_000),
    headersMs: read('HEADERS_TIMEOUT_MS', 10_000),
    keepAliveMs: read('KEEP_ALIVE_TIMEOUT_MS', 5_000),
  };
  const names = {
    requestMs: 'REQUEST_TIMEOUT_MS',
    headersMs: 'HEADERS_TIMEOUT_MS',
    keepAliveMs: 'KEEP_ALIVE_TIMEOUT_MS',
  } as const;
  for (const key of Object.keys(names) as (keyof typeof names)[]) {
    if (value[key] === null)
      return {
        ok: false,
        error: {
          variable: names[key],
          message: `${names[key]} must be a positive whole number of milliseconds, got ${env[names[key]]}`,
        },
      };
  }
  const t = value as ServerTimeouts;
  // Node refuses a header time-out longer than the whole request's.
  if (t.headersMs > t.requestMs)
    return {
      ok: false,
      error: {
        variable: 'HEADERS_TIMEOUT_MS',
        message: `HEADERS_TIMEOUT_MS (${t.headersMs}) must not exceed REQUEST_TIMEOUT_MS (${t.requestMs})`,
      },
    };
  return { ok: true, value: t };
}

const positiveWhole = (raw: string | undefined, fallback: number): number | null => {
  const n = raw === undefined ? fallback : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

function loadFiles(
  env: Record<string, string | undefined>,
): { ok: true; value: FilesConfig } | { ok: false; error: ConfigError } {
  const dir = env.FILES_DIR ?? './data/files';
  if (dir.trim() === '')
    return { ok: false, error: { variable: 'FILES_DIR', message: 'FILES_DIR must not be empty' } };
  const maxPerItem = positiveWhole(env.ITEM_FILES_MAX, 10);
  if (maxPerItem === null)
    return {
      ok: false,
      error: {
        variable: 'ITEM_FILES_MAX',
        message: `ITEM_FILES_MAX must be a whole number of at least 1, got ${env.ITEM_FILES_MAX}`,
      },
    };
  const maxBytes = positiveWhole(env.ITEM_FILE_MAX_BYTES, 10 * 1024 * 1024);
  // Uploads are read through a bounded buffer (formData); 1 GB keeps a typo from inviting abuse.
  if (maxBytes === null || maxBytes > 1024 * 1024 * 1024)
    return {
      ok: false,
      error: {
        variable: 'ITEM_FILE_MAX_BYTES',
        message: `ITEM_FILE_MAX_BYTES must be a whole number of bytes from 1 to 1073741824, got ${env.ITEM_FILE_MAX_BYTES}`,
      },
    };
  return { ok: true, value: { dir, maxPerItem, maxBytes } };
}
