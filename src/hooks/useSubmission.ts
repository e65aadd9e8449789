/**
 * One action in flight on a form page: a second tap does nothing until the first answers, and a refusal's message is
 * kept to show beside the form. `kind` names which button is busy when a page has several.
 */
import { useRef, useState } from 'react';
import { errorMessage } from '../services/cloud';

export function useSubmission<K extends string = 'submit'>() {
  const inFlight = useRef(false);
  const [busy, setBusy] = useState<K | null>(null);
  const [error, setError] = useState('');
  const run = async (kind: K, work: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(kind);
    setError('');
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };
  return { busy, error, setError, run };
}
