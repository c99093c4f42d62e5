import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { api, rememberCsrfToken, type ApiResult } from './api/client.ts';
import type { Me, SessionCreated } from './api/types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: Me }
  | { status: 'unreachable'; message: string };

export type Session = {
  state: SessionState;
  me: Me | null;
  refresh: () => Promise<void>;
  signIn: (handle: string, password: string) => Promise<ApiResult<SessionCreated>>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    const r = await api.get<Me>('/me');
    if (r.ok) {
      rememberCsrfToken(r.value.csrfToken ?? null);
      setState({ status: 'signed-in', me: r.value });
    } else if (r.error.status === 401) {
      rememberCsrfToken(null);
      setState({ status: 'signed-out' });
    } else {
      setState({ status: 'unreachable', message: r.error.message });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const signIn = useCallback(
    async (handle: string, password: string) => {
      const r = await api.post<SessionCreated>('/sessions', { handle, password });
      if (r.ok) {
        rememberCsrfToken(r.value.csrfToken);
        await refresh();
      }
      return r;
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    await api.del('/sessions/current');
    rememberCsrfToken(null);
    setState({ status: 'signed-out' });
  }, []);

  const value = useMemo<Session>(
    () => ({ state, me: state.status === 'signed-in' ? state.me : null, refresh, signIn, signOut }),
    [state, refresh, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
