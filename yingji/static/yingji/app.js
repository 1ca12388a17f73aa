// Yingji page behaviour shared by every page (no inline scripts: CSP allows only our own files).
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  alert(status === 403 ? "您没有权限执行该操作。" : "请求失败（" + status + "），请稍后重试。");
});
