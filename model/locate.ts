export function locateProblems(): void {}
