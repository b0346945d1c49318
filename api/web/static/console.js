// 揭榜挂帅 工作台: progress bars of background jobs, keyboard shortcuts of the duplicate queue,
// "select all" checkboxes. Plain fetch; no framework, no build step.
"use strict";

function pollJob(box) {
  const id = box.dataset.job;
  const bar = box.querySelector(".bar");
  const fill = bar.querySelector("div");
  const tick = async () => {
    let job;
    try {
      const r = await fetch(`/console/api/jobs/${id}`, {headers: {Accept: "application/json"}, credentials: "same-origin"});
      if (!r.ok) return;
      job = await r.json();
    } catch (e) { setTimeout(tick, 2000); return; }
    box.querySelector(".job-status").textContent = job.status_zh;
    box.querySelector(".job-stage").textContent = job.stage_zh;
    box.querySelector(".job-count").textContent = job.total ? `${job.done} / ${job.total}` : (job.done ? `${job.done} 条` : "");
    bar.classList.toggle("indeterminate", !job.total);
    if (job.total) fill.style.width = `${Math.round(100 * job.done / job.total)}%`;
    if (job.status === "done" || job.status === "failed") {
      fill.style.width = "100%";
      window.location.replace(box.dataset.reload || window.location.href);
      return;
    }
    setTimeout(tick, 700);
  };
  tick();
}

function queueKeys(focus) {
  document.addEventListener("keydown", (ev) => {
    if (ev.target.closest("input, textarea, select") || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const key = ev.key.toLowerCase();
    if (key === "y" || key === "n") {
      const button = focus.querySelector(`button[data-key="${key}"]`);
      if (button) { ev.preventDefault(); button.click(); }
    } else if (key === "j") {
      ev.preventDefault(); window.location.href = focus.dataset.next;
    } else if (key === "k") {
      ev.preventDefault(); window.location.href = focus.dataset.prev;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".job[data-job]").forEach((box) => {
    if (box.dataset.status === "queued" || box.dataset.status === "running") pollJob(box);
  });
  const focus = document.getElementById("queue-focus");
  if (focus) queueKeys(focus);
  // writes that are hard to take back ask first: a form (on submit) or one button of it (on click)
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (ev) => {
      if (ev.submitter && ev.submitter.dataset.confirm !== undefined) return;
      if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
    });
  });
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (ev) => { if (!window.confirm(button.dataset.confirm)) ev.preventDefault(); });
  });
  document.querySelectorAll("[data-select-all]").forEach((all) => {
    all.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`).forEach((c) => { c.checked = all.checked; });
    });
  });
});
