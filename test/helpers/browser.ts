/**
 * Headless Chromium from Debian's package (`apt-get install chromium fonts-noto-cjk`; .ci/run installs
 * it), driven by playwright-core: playwright's own browser download cannot reach the network here.
 * No fallback and no skip: without the package the launch fails and so does the test.
 */
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
