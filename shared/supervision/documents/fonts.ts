/**
 * One CJK-capable font stack for the page and its charts: Noto Sans CJK SC / Source Han Sans SC
 * (Linux, and the Debian package fonts-noto-cjk the browser test uses), Microsoft YaHei (Windows),
 * PingFang SC (macOS), then the system's sans-serif.
 */
export const FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
