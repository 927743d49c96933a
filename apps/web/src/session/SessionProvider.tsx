import { useQueryClient } from '@tanstack/react-query';
import { api, type Me } from '@dangan/contracts';
import type { Permission } from '@dangan/domain';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, call, setClientHooks, setCsrfToken } from '../api/client';
import { announceSignOut, listenToOtherTabs, markActivity } from './activity';

export interface Session {
  me: Me | null;
  /** True until the first `GET /api/auth/me` has answered. */
  loading: boolean;
  /** A message for the login page: why the user is there. */
  notice: string | null;
  setMe(me: Me): void;
  refresh(): Promise<Me | null>;
  /** Ends the session on the server (when there is one) and returns to the login page. */
  signOut(notice?: string): Promise<void>;
  clearNotice(): void;
  can(...any: Permission[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for pages behind the login guard. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}

export const EXPIRED_NOTICE = '会话已失效，请重新登录';

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [me, setMeState] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const meRef = useRef<Me | null>(null);

  const setMe = useCallback((next: Me | null) => {
    meRef.current = next;
    setCsrfToken(next?.csrfToken ?? null);
    setMeState(next);
  }, []);

  const dropSession = useCallback(
    (why: string | null) => {
      setMe(null);
      queryClient.clear();
      setNotice(why);
    },
    [queryClient, setMe],
  );

  const refresh = useCallback(async () => {
    try {
      const fresh = await call(api.auth.me);
      setMe(fresh);
      return fresh;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  }, [setMe]);

  useEffect(() => {
    setClientHooks({
      onActivity: markActivity,
      onUnauthorized: (error) => {
        const wasSignedIn = meRef.current !== null;
        if (error.code === 'AUTH_EXPIRED') dropSession(EXPIRED_NOTICE);
        else dropSession(wasSignedIn ? error.message : null);
      },
      onLoginIncomplete: () => {
        void refresh().catch(() => undefined);
      },
    });
    let live = true;
    // On page load the session, if any, comes from the cookie; a 401 here just means “not signed in”.
    call(api.auth.me)
      .then((fresh) => live && setMe(fresh))
      .catch(() => undefined)
      .finally(() => live && setLoading(false));
    const stopListening = listenToOtherTabs(() => {
      if (meRef.current) dropSession('您已在其他窗口退出登录');
    });
    return () => {
      live = false;
      stopListening();
    };
  }, [dropSession, refresh, setMe]);

  const signOut = useCallback(
    async (why?: string) => {
      if (meRef.current) {
        try {
          await call(api.auth.logout);
        } catch {
          // The session may already be gone on the server; the user leaves either way.
        }
      }
      announceSignOut();
      dropSession(why ?? null);
    },
    [dropSession],
  );

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      notice,
      setMe: (next: Me) => {
        setNotice(null);
        setMe(next);
      },
      refresh,
      signOut,
      clearNotice: () => setNotice(null),
      can: (...any: Permission[]) => !!me && me.stage === 'active' && any.some((p) => me.permissions.includes(p)),
    }),
    [me, loading, notice, refresh, signOut, setMe],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
