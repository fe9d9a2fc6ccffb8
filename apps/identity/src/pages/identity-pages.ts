/**
 * The few HTML pages a person sees at the issuer: sign in, allow access, errors, sign out.
 * Server-rendered, no script, one small style sheet; every value shown is escaped.
 */

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem;
         border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 0, 0, .15); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
  input { width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem;
          border: 1px solid #8a93a6; border-radius: 4px; }
  input:focus, button:focus { outline: 3px solid #2f6fde; outline-offset: 1px; }
  button { margin-top: 1.4rem; padding: .6rem 1.2rem; font-size: 1rem; border-radius: 4px;
           border: 1px solid #1f4fae; background: #2457c5; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1f4fae; margin-left: .5rem; }
  .error { color: #a0151c; background: #fdecec; border: 1px solid #e3a5a8;
           padding: .6rem; border-radius: 4px; }
  ul { padding-left: 1.2rem; }
`;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} – Drone Delivery</title>
  <style>${STYLE}</style>
</head>
<body>
  <main>
    <h1>${escapeHtml(title)}</h1>
${body}
  </main>
</body>
</html>`;
}

export interface LoginPageOptions {
  /** Where the form posts. */
  action: string;
  clientId: string;
  /** Kept after a failed attempt, so only the password is typed again. */
  email?: string;
  error?: string;
}

export function loginPage(options: LoginPageOptions): string {
  const error = options.error
    ? `    <p class="error" id="login-error" role="alert">${escapeHtml(options.error)}</p>\n`
    : '';
  const describedBy = options.error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return page(
    'Sign in',
    `    <p>to continue to <strong>${escapeHtml(options.clientId)}</strong>.</p>
${error}    <form method="post" action="${escapeHtml(options.action)}" novalidate>
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required
             value="${escapeHtml(options.email ?? '')}"${describedBy}${options.email ? '' : ' autofocus'}>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password"
             required${describedBy}${options.email ? ' autofocus' : ''}>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

export interface ConsentPageOptions {
  action: string;
  clientId: string;
  email: string;
  /** What the application would be allowed, one sentence each. */
  allowed: string[];
}

export function consentPage(options: ConsentPageOptions): string {
  const allowed = options.allowed.map((line) => `      <li>${escapeHtml(line)}</li>`).join('\n');
  return page(
    'Allow access',
    `    <p>You are signed in as <strong>${escapeHtml(options.email)}</strong>.
       <strong>${escapeHtml(options.clientId)}</strong> asks to:</p>
    <ul>
${allowed}
    </ul>
    <form method="post" action="${escapeHtml(options.action)}">
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    </form>`,
  );
}

/** A page that explains something went wrong and what to do next. */
export function messagePage(title: string, message: string): string {
  return page(title, `    <p>${escapeHtml(message)}</p>`);
}

/** Sign-out confirmation; `form` is oidc-provider's own (it carries the anti-forgery token). */
export function signOutPage(form: string): string {
  return page(
    'Sign out',
    `    <p>Do you want to sign out of Drone Delivery?</p>
    ${form}
    <button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
    <button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}
