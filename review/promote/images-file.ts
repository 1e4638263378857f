// environments/<env>/images.ts: the `images` object literal, read and edited in place.
import { Node } from 'ts-morph';
import { type EditableSource, objectAt, openSource, replaceString, setProperty, SourceEditError } from './object-literal.ts';

export const IMAGES_VARIABLE = 'images';
export const imagesPath = (env: string) => `environments/${env}/images.ts`;

/** Service → digest, as written in the file; an error when an entry is not a plain string literal. */
export function readImages(source: EditableSource): Record<string, string> {
  const images: Record<string, string> = {};
  for (const property of objectAt(source, IMAGES_VARIABLE, []).getProperties()) {
    if (!Node.isPropertyAssignment(property)) throw new SourceEditError(`${source.file.getBaseName()}: "${property.getText()}" is not a plain "service: 'sha256:…'" entry`);
    const nameNode = property.getNameNode();
    const name = Node.isStringLiteral(nameNode) ? nameNode.getLiteralText() : nameNode.getText();
    const value = property.getInitializer();
    if (!value || !Node.isStringLiteral(value)) throw new SourceEditError(`${source.file.getBaseName()}: the digest of "${name}" is not a string literal`);
    images[name] = value.getLiteralText();
  }
  return images;
}

export function parseImages(fileName: string, content: string): Record<string, string> {
  return readImages(openSource(fileName, content));
}

/** Set each service's digest, changing only those string literals (or adding a missing entry). */
export function writeDigests(fileName: string, content: string, digests: Record<string, string>): string {
  const source = openSource(fileName, content);
  const current = readImages(source);
  for (const [service, digest] of Object.entries(digests)) {
    if (service in current) replaceString(source, IMAGES_VARIABLE, [service], digest);
    else setProperty(source, IMAGES_VARIABLE, [service], `'${digest}'`);
  }
  return source.text();
}
