// Conflict detection over generators' output: two files at one path, or one Kubernetes object
// (group, kind, namespace, name) rendered twice.
import type { OutputFile } from './types.ts';

export class RenderConflictError extends Error {
  readonly conflicts: string[];
  constructor(conflicts: string[]) {
    super(`generators produced conflicting output:\n${conflicts.map((c) => `  - ${c}`).join('\n')}`);
    this.name = 'RenderConflictError';
    this.conflicts = conflicts;
  }
}

/** The files seen so far, by path and by object identity. */
export class OutputIndex {
  private readonly byPath = new Map<string, OutputFile>();
  private readonly byIdentity = new Map<string, OutputFile>();

  /** Add `files`; throws a RenderConflictError listing every conflict among them and with those added before. */
  add(files: readonly OutputFile[]): void {
    const conflicts: string[] = [];
    for (const file of files) {
      const previous = this.byPath.get(file.path);
      if (previous) conflicts.push(`${file.path} is written from both ${previous.source} and ${file.source}`);
      this.byPath.set(file.path, file);
      const { apiVersion, kind, metadata } = file.object;
      const slash = apiVersion.indexOf('/');
      const identity = `${slash < 0 ? '' : apiVersion.slice(0, slash)}/${kind}/${metadata.namespace ?? ''}/${metadata.name}`;
      const twin = this.byIdentity.get(identity);
      if (twin) conflicts.push(`${kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name} is rendered twice: ${twin.path} and ${file.path}`);
      this.byIdentity.set(identity, file);
    }
    if (conflicts.length > 0) throw new RenderConflictError(conflicts);
  }
}
