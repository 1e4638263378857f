/**
 * Password-reset mail goes out through the platform's transactional mail relay, an HTTPS endpoint that
 * takes one JSON message per request (MAIL_RELAY_URL, with MAIL_RELAY_SECRET as a bearer token, both from
 * Secret `prediction-api-mail-relay`). The service keeps no SMTP credentials and no mail templates of its
 * own; the relay renders `template` with `variables` and delivers to `to`. `Idempotency-Key` is the reset's
 * id, so a relay that deduplicates sends one mail per reset however often a request is retried.
 */
export interface ResetMail {
  /** The reset's id (Idempotency-Key). */
  id: string;
  to: string;
  username: string;
  token: string;
  expiresAt: Date;
}

export class MailRelayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailRelayError';
  }
}

export class MailRelay {
  private readonly url: string;
  private readonly secret: string;
  private readonly timeoutMs: number;

  constructor(url: string, secret: string, timeoutMs: number) {
    this.url = url;
    this.secret = secret;
    this.timeoutMs = timeoutMs;
  }

  /** Resolves once the relay accepted the message (2xx); throws MailRelayError otherwise. */
  async sendPasswordReset(mail: ResetMail): Promise<void> {
    const message = {
      template: 'password-reset',
      to: mail.to,
      subject: 'Reset your prediction-api password',
      text: [
        `Someone asked to reset the password of the prediction-api account ${mail.username}.`,
        `To choose a new password, send this token with it to POST /v1/auth/password-reset/confirm: ${mail.token}`,
        `The token works once, until ${mail.expiresAt.toISOString()}. If you did not ask for it, ignore this message: the password stays as it is.`,
      ].join('\n\n'),
      variables: { username: mail.username, token: mail.token, expiresAt: mail.expiresAt.toISOString() },
    };
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.secret}`, 'idempotency-key': mail.id },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      throw new MailRelayError(`the mail relay did not answer: ${(e as Error).message}`, { cause: e });
    }
    await res.body?.cancel();
    if (!res.ok) throw new MailRelayError(`the mail relay refused the message with HTTP ${res.status}`);
  }
}
