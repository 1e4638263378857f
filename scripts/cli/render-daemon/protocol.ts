// What the render command and its daemon say to each other: one JSON line each way over the checkout's socket.

export type DaemonRequest =
  /** Render as `npm run render -- <argv>` would, on the client's date and Node. */
  | { kind: 'render'; argv: string[]; today: string; node: string }
  | { kind: 'stop' };

export type DaemonReply =
  /** The command's whole outcome: print `stdout`, exit with `code`. */
  | { status: 'done'; code: number; stdout: string }
  /** The daemon did not render (a model problem, a changed daemon, …): the command renders itself and reports what it finds. */
  | { status: 'fallback'; reason: string; /** The daemon stops after this reply: the command may start another. */ stopping?: boolean }
  | { status: 'stopping' };
