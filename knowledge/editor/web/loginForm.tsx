import { useState } from 'preact/hooks';

export interface LoginFormProps {
  error: string | null;
  busy: boolean;
  onLogin: (token: string) => void;
}

/** Token login. The token goes to sessionStorage (this tab only), never into the URL. */
export function LoginForm({ error, busy, onLogin }: LoginFormProps) {
  const [token, setToken] = useState('');
  return (
    <form
      class="login"
      onSubmit={(event) => {
        event.preventDefault();
        if (token.trim()) onLogin(token.trim());
      }}
    >
      <h1>Askdesk knowledge editor</h1>
      <label for="token">Editor token</label>
      <input
        id="token"
        data-testid="token"
        type="password"
        autocomplete="off"
        value={token}
        onInput={(event) => setToken(event.currentTarget.value)}
      />
      <button type="submit" class="primary" data-testid="login" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="hint">
        Create one with <code>npm run --silent agent -- add --name NAME --role editor --json</code>.
      </p>
    </form>
  );
}
