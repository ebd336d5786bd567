// The definition editor: line numbers with the lines that have problems marked, links from a
// problem to its line, Tab inserts two spaces, Ctrl+Enter checks. The page works without it.
(function () {
  'use strict';
  var ta = document.getElementById('document');
  if (!ta) return;
  var editor = ta.closest('.editor');
  var gutter = editor.querySelector('.gutter');
  var marked = new Set((editor.getAttribute('data-problem-lines') || '').split(',').filter(Boolean).map(Number));

  function renderGutter() {
    var n = ta.value.split('\n').length;
    var out = [];
    for (var i = 1; i <= n; i++) out.push(marked.has(i) ? '<span class="bad">' + i + '</span>' : String(i));
    gutter.innerHTML = out.join('\n');
    gutter.scrollTop = ta.scrollTop;
  }

  function goToLine(n) {
    var lines = ta.value.split('\n');
    if (n < 1 || n > lines.length) return;
    var start = 0;
    for (var i = 0; i < n - 1; i++) start += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(start, start + lines[n - 1].length);
    var lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (n - 4) * lineHeight);
    gutter.scrollTop = ta.scrollTop;
  }

  var lastLines = ta.value.split('\n').length;
  ta.addEventListener('input', function () {
    // once lines move, the marks would point at the wrong ones: they come back with the next check
    var n = ta.value.split('\n').length;
    if (n !== lastLines) marked.clear();
    lastLines = n;
    renderGutter();
  });
  ta.addEventListener('scroll', function () { gutter.scrollTop = ta.scrollTop; });
  ta.addEventListener('keydown', function (e) {
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey) {
      e.preventDefault();
      if (!document.execCommand || !document.execCommand('insertText', false, '  ')) {
        ta.setRangeText('  ', ta.selectionStart, ta.selectionEnd, 'end');
      }
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      document.getElementById('check').click();
    }
  });
  document.querySelectorAll('a.line-link').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      goToLine(Number(a.getAttribute('data-line')));
    });
  });
  renderGutter();
})();
