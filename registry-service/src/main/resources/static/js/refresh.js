// Reloads the page every <body data-refresh="seconds"> seconds (the Metrics page's "refresh" choice).
(() => {
  const seconds = Number(document.body.dataset.refresh || 0);
  if (seconds > 0) setTimeout(() => location.reload(), seconds * 1000);
})();
