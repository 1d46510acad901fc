/**
 * @module
 * The README of a new project: what the function does and the commands for its whole life,
 * from the first build to deploying behind CloudFront.
 */
import type { Template } from './templates.js';

export function readmeFor(name: string, t: Template, fixture: string): string {
  const edge = t.eventType !== 'lambda';
  const deploy = edge
    ? `Lambda@Edge functions live in us-east-1 and run a numbered version. To attach this one to a
distribution, name it and the cache behavior in \`lambda-wasm.config.json\`:

\`\`\`json
"deploy": {
  "region": "us-east-1",
  "runtime": "nodejs22.x",
  "functions": { "${name}": { "distributionId": "E2QWRUHAPOMQZL", "pathPattern": "*" } }
}
\`\`\`

then:

\`\`\`sh
npx lambda-wasm deploy --dry-run   # the plan and the pre-flight checks; no AWS call
npx lambda-wasm deploy             # role, function, version, the ${t.eventType} trigger; waits until CloudFront has deployed
\`\`\`

Configuration a guest needs is compiled in (Lambda@Edge has no environment variables): add
\`"buildEnv": {"NAME": "\${NAME:-default}"}\` to the function and read it with \`env!("NAME")\`.`
    : `\`\`\`sh
npx lambda-wasm deploy --dry-run   # the plan; no AWS call
npx lambda-wasm deploy             # role, function, version and a Function URL (auth AWS_IAM)
\`\`\`

Set \`"functionUrl": {"authType": "NONE"}\` under \`deploy.functions.${name}\` for a public URL, and
\`"alias": "live"\` for an alias that follows each new version.`;
  return `# ${name}

${t.summary[0]!.toUpperCase()}${t.summary.slice(1)}, written in Rust and run as WebAssembly by
lambda-wasm on the Node.js runtime.

## Build and run locally

\`\`\`sh
npx lambda-wasm build ${name}     # src/lib.rs → dist/${name}.zip
npx lambda-wasm invoke ${name}    # ${fixture} through the zip, with Lambda's log lines${edge ? " and CloudFront's verdict" : ''}
${edge ? `npx lambda-wasm dev              # a local CloudFront on http://127.0.0.1:3000 with this trigger\n` : ''}\`\`\`

\`invoke\` also builds events from flags: \`--uri /path --header "accept: text/html"\`.
The handler is \`src/lib.rs\`; the guest crate's guide is its README
(\`crates/lambda-wasm-guest/README.md\` in the lambda-wasm package).

## Deploy

${deploy}

Credentials come from the usual AWS chain (environment, \`AWS_PROFILE\` or \`--profile\`, SSO).
`;
}
