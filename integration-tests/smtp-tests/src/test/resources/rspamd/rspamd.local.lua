-- RcptGuard's test rule: the header X-RcptGuard-Test asks for an action, so that the tests exercise each of them.
local wanted_actions = {
  ['add-header'] = 'add header',
  ['rewrite-subject'] = 'rewrite subject',
  ['greylist'] = 'greylist',
  ['soft-reject'] = 'soft reject',
  ['reject'] = 'reject',
}

rspamd_config:register_symbol{
  name = 'RCPTGUARD_TEST_ACTION',
  type = 'prefilter',
  priority = 10,
  callback = function(task)
    local wanted = task:get_header('X-RcptGuard-Test')
    if wanted and wanted_actions[wanted] then
      task:set_pre_result(wanted_actions[wanted], 'RcptGuard test asks for ' .. wanted, 'rcptguard')
    end
  end,
}

-- A score of 8: "no action" in this configuration, over a strict recipient's threshold of 6.
rspamd_config.RCPTGUARD_TEST_SCORE = {
  callback = function(task)
    return task:get_header('X-RcptGuard-Test') == 'score-8'
  end,
  score = 8.0,
  description = 'RcptGuard test: a score of 8',
  group = 'rcptguard',
}
