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
  /** Outgoing email (notifications); null when SMTP_HOST is not set: no email is sent. */
  smtp: SmtpConfig | null;
  /** Live updates (Server-Sent Events), per process. */
  live: LiveConfig;
};

export type LiveConfig = {
  maxConnections: number;
  maxPerPerson: number;
  bufferBytes: number;
  heartbeatMs: number;
  lifetimeMs: number;
};

export type SmtpConfig = {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  /** The From address of every email. */
  from: string;
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
  const smtp = loadSmtp(env);
  if (!smtp.ok) return smtp;
  const live = loadLive(env);
  if (!live.ok) return live;
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
      smtp: smtp.value,
      live: live.value,
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

/** LIVE_*: live updates' limits per process; each a positive whole number. */
function loadLive(
  env: Record<string, string | undefined>,
): { ok: true; value: LiveConfig } | { ok: false; error: ConfigError } {
  const fields = {
    maxConnections: ['LIVE_MAX_CONNECTIONS', 2000],
    maxPerPerson: ['LIVE_MAX_PER_PERSON', 16],
    bufferBytes: ['LIVE_BUFFER_BYTES', 65_536],
    heartbeatMs: ['LIVE_HEARTBEAT_MS', 25_000],
    lifetimeMs: ['LIVE_LIFETIME_MS', 15 * 60_000],
  } as const;
  const value: Partial<LiveConfig> = {};
  for (const [field, [variable, fallback]] of Object.entries(fields)) {
    const n = positiveWhole(env[variable], fallback);
    if (n === null)
      return {
        ok: false,
        error: {
          variable,
          message: `${variable} must be a whole number of at least 1, got ${env[variable]}`,
        },
      };
    value[field as keyof LiveConfig] = n;
  }
  return { ok: true, value: value as LiveConfig };
}

const SMTP_HOST =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$|^\[?[0-9a-fA-F:.]{2,45}\]?$/;
const EMAIL_ADDRESS = /^[^\s@<>]{1,64}@[a-zA-Z0-9.-]{1,253}$/;

/** SMTP_* settings; every one is checked, so a typo stops the start with its name. */
function loadSmtp(
  env: Record<string, string | undefined>,
): { ok: true; value: SmtpConfig | null } | { ok: false; error: ConfigError } {
  const fail = (variable: string, message: string) =>
    ({ ok: false, error: { variable, message } }) as const;
  const names = [
    'SMTP_HOST',
    'SMTP_PORT',
    'SMTP_SECURE',
    'SMTP_USER',
    'SMTP_PASSWORD',
    'SMTP_FROM',
  ];
  for (const name of names) {
    const v = env[name];
    if (v !== undefined && v.length > 1024)
      return fail(name, `${name} is ${v.length} characters long; at most 1024 are allowed`);
  }
  const host = env.SMTP_HOST?.trim() ?? '';
  if (host === '') {
    const stray = names.find((n) => n !== 'SMTP_HOST' && (env[n] ?? '') !== '');
    return stray
      ? fail('SMTP_HOST', `${stray} is set but SMTP_HOST is not; set SMTP_HOST to send email`)
      : { ok: true, value: null };
  }
  if (!SMTP_HOST.test(host)) return fail('SMTP_HOST', `SMTP_HOST is not a host name: ${host}`);
  const secureRaw = (env.SMTP_SECURE ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(secureRaw))
    return fail('SMTP_SECURE', `SMTP_SECURE must be true or false, got ${env.SMTP_SECURE}`);
  const secure = secureRaw === 'true';
  const port = Number(env.SMTP_PORT ?? (secure ? 465 : 587));
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return fail('SMTP_PORT', `SMTP_PORT must be a port number, got ${env.SMTP_PORT}`);
  const user = env.SMTP_USER ?? '';
  const password = env.SMTP_PASSWORD ?? '';
  if ((user === '') !== (password === ''))
    return fail(
      user === '' ? 'SMTP_USER' : 'SMTP_PASSWORD',
      'SMTP_USER and SMTP_PASSWORD are set together or not at all',
    );
  if (/[\r\n]/.test(user)) return fail('SMTP_USER', 'SMTP_USER must be one line');
  const from = (env.SMTP_FROM ?? '').trim();
  if (!EMAIL_ADDRESS.test(from))
    return fail(
      'SMTP_FROM',
      from === ''
        ? 'SMTP_FROM (the From address, e.g. commune@example.org) is required with SMTP_HOST'
        : `SMTP_FROM is not an email address: ${from}`,
    );
  return {
    ok: true,
    value: {
      host,
      port,
      secure,
      user: user === '' ? null : user,
      password: password === '' ? null : password,
      from,
    },
  };
}
