/** The pages' one stylesheet, served as /assets/slipstream.css (kept in code so `dist` needs no asset copy). */
export const STYLESHEET = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d5dae3; --bg: #f5f7fa; --accent: #2356c4;
  --ok-bg: #e7f5ec; --ok: #1d6b3a; --err-bg: #fdecec; --err: #a02020; --warn-bg: #fff4d6; --warn: #7a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
.container { max-width: 1120px; margin: 0 auto; padding: 0 20px; }
header.top { background: #1d2330; color: #fff; }
header.top .bar { display: flex; align-items: center; gap: 24px; height: 52px; }
header.top .brand { color: #fff; font-weight: 700; font-size: 18px; text-decoration: none; }
header.top nav { display: flex; gap: 4px; flex: 1; }
header.top nav a { color: #cfd6e4; text-decoration: none; padding: 6px 10px; border-radius: 4px; }
header.top nav a[aria-current="page"], header.top nav a:hover { background: #323b4f; color: #fff; }
header.top .who { display: flex; align-items: center; gap: 8px; color: #cfd6e4; }
.who .role { font-size: 12px; border: 1px solid #5b6475; border-radius: 10px; padding: 0 7px; }
main { padding: 8px 20px 48px; }
h1 { font-size: 24px; margin: 20px 0 12px; }
h2 { font-size: 18px; margin: 0 0 10px; }
h2 small, .muted, .help { color: var(--muted); font-weight: normal; }
section, .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 18px; margin: 0 0 16px; }
table { width: 100%; border-collapse: collapse; background: #fff; margin: 0 0 20px; }
th, td { border: 1px solid var(--line); padding: 6px 9px; text-align: left; vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
td.actions { white-space: nowrap; }
#users-table td.actions button + button { margin-left: 4px; }
tr.terminated td { color: var(--muted); }
tr.disabled td { color: var(--muted); }
button { font: inherit; padding: 6px 14px; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary, td.actions button { background: #fff; color: var(--accent); padding: 3px 9px; }
button[data-action="terminate"], button[data-action="revoke"] { border-color: var(--err); color: var(--err); }
button:disabled { opacity: 0.5; cursor: default; }
header.top button { background: transparent; border-color: #5b6475; color: #fff; padding: 3px 10px; }
input, select { font: inherit; padding: 5px 8px; border: 1px solid #b8c0cc; border-radius: 4px; background: #fff; }
input[type="checkbox"] { padding: 0; }
.field { display: grid; grid-template-columns: 220px 1fr; gap: 4px 16px; margin: 0 0 12px; align-items: start; }
.field > label { padding-top: 6px; font-weight: 600; word-break: break-all; }
.field .control input:not([type="checkbox"]), .field .control select { width: 100%; max-width: 420px; }
.field .control input.wide { max-width: none; }
.help { font-size: 13px; margin: 3px 0 0; }
.required { color: var(--err); margin-left: 3px; }
.clear { font-size: 13px; margin-left: 8px; white-space: nowrap; }
.setting { display: flex; gap: 8px; margin: 0 0 8px; }
.setting input { flex: 1; max-width: 320px; }
.row { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; }
.row label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); gap: 3px; }
.row select { min-width: 160px; }
.row input, .row select { height: 34px; }
.row input[name="count"] { width: 80px; }
.banner { background: var(--warn-bg); color: var(--warn); border: 1px solid #e9cf7f; border-radius: 6px; padding: 10px 14px; margin: 16px 0 0; }
.error-box, .message.error { background: var(--err-bg); color: var(--err); border: 1px solid #f0b4b4; border-radius: 6px; padding: 10px 14px; margin: 0 0 16px; }
.message { margin: 10px 0 0; padding: 8px 12px; border-radius: 4px; white-space: pre-wrap; }
.message.ok { background: var(--ok-bg); color: var(--ok); border: 1px solid #a8d8b9; }
.error-box ul, .message ul { margin: 4px 0 0; padding-left: 20px; }
.error-box h2 { font-size: 15px; margin: 0; }
.code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.note { font-size: 13px; color: var(--err); }
.shown-once code { display: inline-block; margin: 4px 0; padding: 3px 8px; background: #fff; border: 1px solid var(--line); border-radius: 4px; font-size: 14px; user-select: all; word-break: break-all; }
.login { max-width: 380px; margin: 60px auto; }
.login .field { grid-template-columns: 1fr; }
[hidden] { display: none !important; }
`;
