/**
 * When this browser last reached the server. The server ends a session after `idleMinutes` without a
 * request, so only requests count as activity; tabs share the time through localStorage so one idle tab
 * does not sign out a user who works in another.
 */
const ACTIVITY_KEY = 'dangan.lastActivity';
const SIGN_OUT_KEY = 'dangan.signedOut';

let last = Date.now();

export function markActivity(): void {
  last = Date.now();
  try {
    localStorage.setItem(ACTIVITY_KEY, String(last));
  } catch {
    // Storage may be disabled by policy; the timer then works per tab.
  }
}

export function lastActivity(): number {
  return last;
}

/** Tells the other tabs that this user signed out. */
export function announceSignOut(): void {
  try {
    localStorage.setItem(SIGN_OUT_KEY, String(Date.now()));
  } catch {
    // See above.
  }
}

export function listenToOtherTabs(onSignOut: () => void): () => void {
  const handler = (event: StorageEvent) => {
    if (event.key === ACTIVITY_KEY && event.newValue) last = Math.max(last, Number(event.newValue));
    if (event.key === SIGN_OUT_KEY && event.newValue) onSignOut();
  };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}
