/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "probe.h"
#include "util.h"

static char *host_path(const struct searchpath *sp, const char *binary)
{
	return sp ? searchpath_host_path(sp, binary) : xstrdup(binary);
}

bool backend_can_start(const struct searchpath *sp, const char *binary,
		       char **reason)
{
	char *path = host_path(sp, binary);
	enum probe_status s = probe_check_program(path, reason);

	free(path);
	return s == PROBE_OK;
}

bool backend_probe(const struct searchpath *sp, const char *binary,
		   const char *type, int timeout_ms,
		   struct backend_report *report)
{
	char *path = host_path(sp, binary);
	const char *const argv[] = { path, "--print-capabilities", NULL };
	struct probe_result run;

	memset(report, 0, sizeof(*report));
	if (probe_run(argv, timeout_ms, &run) != PROBE_OK) {
		report->trouble = run.status == PROBE_SPAWN_FAILED;
		report->reason = run.reason;
		run.reason = NULL;
	} else {
		report->ok = capabilities_parse(run.out, run.len, type,
						&report->caps,
						&report->reason);
	}
	probe_result_free(&run);
	free(path);
	return report->ok;
}

void backend_report_free(struct backend_report *report)
{
	free(report->reason);
	capabilities_free(&report->caps);
	memset(report, 0, sizeof(*report));
}
