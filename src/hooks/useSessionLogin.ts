import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../services/cloud';
import { getMe, resetSession } from '../services/session';

/** Log in once when the page opens; `login(true)` retries from scratch after an error the page shows. */
export function useSessionLogin(): { loginError: string; login: (fresh: boolean) => Promise<void> } {
  const [loginError, setLoginError] = useState('');
  const login = useCallback(async (fresh: boolean) => {
    if (fresh) resetSession();
    setLoginError('');
    try {
      await getMe();
    } catch (err) {
      setLoginError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void login(false);
  }, [login]);
  return { loginError, login };
}
