// Runs one SMT-LIB2 file through npm's z3-solver (Z3 compiled to WebAssembly) and prints the
// solver's text answer, like `z3 file.smt2`. Used by dlp as the independent second route.
import { readFileSync } from 'node:fs';
import { init } from 'z3-solver';

const file = process.argv[2];
if (!file) {
  console.error('usage: node check.mjs FILE.smt2');
  process.exit(2);
}
const script = readFileSync(file, 'utf8');
const { Z3 } = await init();
const cfg = Z3.mk_config();
const ctx = Z3.mk_context(cfg);
Z3.del_config(cfg);
// (get-model) after unsat is an error in Z3: split it off and ask only after sat.
const body = script.replaceAll('(get-model)', '').replaceAll('(get-info :reason-unknown)', '');
let out = await Z3.eval_smtlib2_string(ctx, body);
const first = out.trimStart();
if (first.startsWith('sat')) out += await Z3.eval_smtlib2_string(ctx, '(get-model)');
else if (first.startsWith('unknown')) out += await Z3.eval_smtlib2_string(ctx, '(get-info :reason-unknown)');
process.stdout.write(out + '\n');
process.exit(0);
