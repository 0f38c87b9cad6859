-- Headless Neovim (0.7.2, built-in vim.lsp) as a real editor for `agent lsp`:
-- open a Coq file with a hole, wait for the server's diagnostics, run the "Prove" code action the server offers on the
-- hole, let Neovim apply the server's workspace/applyEdit to the buffer, and write the buffer.
-- Inputs (environment): PROOFAGENT_AGENT_DLL (agent.dll), PROOFAGENT_FILE (the .v file), PROOFAGENT_RESULT (a JSON report).
local dll = os.getenv("PROOFAGENT_AGENT_DLL")
local file = os.getenv("PROOFAGENT_FILE")
local report_path = os.getenv("PROOFAGENT_RESULT")
local report = { steps = {} }

local function step(text)
  table.insert(report.steps, text)
end

local function finish(outcome)
  report.outcome = outcome
  local f = assert(io.open(report_path, "w"))
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "proofagent",
    cmd = { "dotnet", dll, "lsp" },
    root_dir = vim.fn.fnamemodify(file, ":p:h"),
    init_options = { budgetSeconds = 90, tacticTimeoutSeconds = 4 },
  })
  assert(client_id, "the language server did not start")
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  -- 1. Diagnostics: the hole is a warning "proof incomplete".
  local hole
  vim.wait(120000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.message:find("proof incomplete", 1, true) then
        hole = d
        return true
      end
    end
    return false
  end, 100)
  if not hole then
    return finish("no hole diagnostic")
  end
  step("diagnostic: " .. hole.message .. " at line " .. hole.lnum)
  report.hole_severity = hole.severity

  -- 2. The code action on the hole.
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = hole.lnum, character = hole.col }, ["end"] = { line = hole.end_lnum, character = hole.end_col } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, hole.lnum) },
  }
  local response = client.request_sync("textDocument/codeAction", params, 60000, bufnr)
  if not response or response.err or not response.result or #response.result == 0 then
    return finish("no code action on the hole")
  end
  local action = response.result[1]
  step("code action: " .. action.title)

  -- 3. Run it, as vim.lsp.buf.code_action does for a command action; the server's applyEdit goes through Neovim's own handler.
  local done, result, failure = false, nil, nil
  client.request("workspace/executeCommand", action.command, function(e, r)
    done, result, failure = true, r, e
  end, bufnr)
  vim.wait(300000, function() return done end, 100)
  if not done then
    return finish("the Prove command did not answer")
  end
  if failure then
    return finish("the Prove command failed: " .. vim.inspect(failure))
  end
  report.verdict = result and result.verdict
  report.message = result and result.message
  step("prove: " .. tostring(report.verdict))

  -- 4. Write the buffer the server edited.
  vim.api.nvim_buf_call(bufnr, function() vim.cmd("write") end)
  report.buffer = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  finish("done")
end)

if not ok then
  report.error = tostring(err)
  finish("error")
end
