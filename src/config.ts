export type Config = {
  port: number;
  databaseUrl: string;
  publicUrl: string;
  logLevel: string;
  /** Accounts one client address may create per hour. */
  signUpsPerHour: number;
};

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
  return {
    ok: true,
    value: { port, databaseUrl, publicUrl, logLevel: env.LOG_LEVEL ?? 'info', signUpsPerHour },
  };
}
