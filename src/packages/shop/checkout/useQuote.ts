/**
 * The server's price of the current selection (shop.quote), asked again whenever the selection changes. Each answer
 * is kept with the selection it priced and only the answer to the latest request is taken, so a slow answer to an
 * older selection never replaces a newer one. While a newer answer is on its way the last one stays, dimmed.
 */
import { useEffect, useRef, useState } from 'react';
import type { CheckoutSelection, OrderQuote } from '../../../../types/api';
import { callFunction, errorMessage } from '../../../services/cloud';

export interface QuoteState {
  /** The answer for this very selection, or null. */
  priced: OrderQuote | null;
  /** What to show: this selection's answer, else the last one (dimmed), else null (the page's estimate). */
  shown: OrderQuote | null;
  /** True while `shown` is an older selection's answer. */
  updating: boolean;
  /** The refusal of this selection's quote, or null. */
  failed: string | null;
  retry: () => void;
}

/** `selected` null, or `blocked` (a line still needs its SKU): nothing to price yet. */
export function useQuote(selected: { selection: CheckoutSelection; key: string } | null, blocked: boolean): QuoteState {
  const [quote, setQuote] = useState<{ key: string; data: OrderQuote } | null>(null);
  const [quoteError, setQuoteError] = useState<{ key: string; message: string } | null>(null);
  const [retries, setRetries] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (!selected || blocked) return;
    const mine = ++seq.current;
    const { key } = selected;
    callFunction('shop', 'quote', selected.selection).then(
      (answer) => {
        if (mine !== seq.current) return;
        setQuote({ key, data: answer });
        setQuoteError(null);
      },
      (err: unknown) => {
        if (mine === seq.current) setQuoteError({ key, message: errorMessage(err) });
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected?.key, blocked, retries]);

  const key = selected?.key;
  const priced = quote && quote.key === key ? quote.data : null;
  const failed = !priced && quoteError && quoteError.key === key ? quoteError.message : null;
  const shown = priced ?? (failed ? null : (quote?.data ?? null));
  return { priced, shown, updating: !!shown && !priced, failed, retry: () => setRetries((n) => n + 1) };
}
