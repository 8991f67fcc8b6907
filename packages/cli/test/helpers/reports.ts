/** A json report without where each finding and rejected record came from: a file's line and byte offset, or live-check's request number. */
export function withoutSources<T extends { findings: { source?: unknown }[]; rejected: { source?: unknown }[] }>(
  report: T,
): T {
  return {
    ...report,
    findings: report.findings.map(({ source: _, ...f }) => f),
    rejected: report.rejected.map(({ source: _, ...r }) => r),
  };
}
