import assert from "node:assert/strict";
import { isClosedSocketWrite } from "../../../core/store/pg_connect.ts";

const FRAME =
  "    at Immediate.nextWrite (file:///root/.cache/deno/npm/registry.npmjs.org/postgres/3.4.9/src/connection.js:255:22)";

function withStack(err: Error, stack: string): Error {
  Object.defineProperty(err, "stack", { value: `${err.name}: ${err.message}\n${stack}` });
  return err;
}

Deno.test("isClosedSocketWrite() matches only postgres.js's write to a closed socket", () => {
  const message = "Cannot read properties of null (reading 'write')";
  assert.ok(isClosedSocketWrite(withStack(new TypeError(message), FRAME)));
  // The same message from our own code, another frame, another error: not matched.
  assert.ok(
    !isClosedSocketWrite(withStack(new TypeError(message), "    at write (file:///x/y.ts:1:1)")),
  );
  assert.ok(!isClosedSocketWrite(withStack(new TypeError("other"), FRAME)));
  assert.ok(!isClosedSocketWrite(withStack(new Error(message), FRAME)));
  assert.ok(!isClosedSocketWrite(null));
});

Deno.test("connectPg() keeps the process alive through that error, with a warning, and no other", async () => {
  const module = new URL("../../../core/store/pg_connect.ts", import.meta.url).href;
  const script = (stack: string) => `
    import { setImmediate } from "node:timers";
    import { connectPg } from "${module}";
    connectPg({ url: "postgres://nobody@127.0.0.1:9/none" });
    setImmediate(() => {
      const e = new TypeError("Cannot read properties of null (reading 'write')");
      Object.defineProperty(e, "stack", { value: "TypeError: x\\n" + ${JSON.stringify(stack)} });
      throw e;
    });
    setTimeout(() => console.log("still running"), 50);
  `;
  const run = async (stack: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script(stack)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  };
  const guarded = await run(FRAME);
  assert.equal(guarded.code, 0, guarded.stderr);
  assert.match(guarded.stdout, /still running/);
  assert.match(guarded.stderr, /\[WARN\] postgres: a write on a connection that had just closed/);
  const other = await run("    at somewhere (file:///x/y.ts:1:1)");
  assert.notEqual(other.code, 0, "any other uncaught error still ends the process");
});
