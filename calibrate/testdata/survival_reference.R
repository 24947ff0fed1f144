# Reference values for TestSurvivalReference (calibrate/survival_ref_test.go):
# the Aalen-Johansen cumulative incidence of mql -> won (one cause, so
# 1 - Kaplan-Meier) of the leads in survival_reference.csv, as R's survival
# package computes it, at 7, 14, 30, 60, 90, 180 and 365 days.
#
# Rule for events at or before time 0: a won dated at or before the lead's
# mql entry is a delay of 0 (the export readers date an outcome recorded
# before its lead's creation at the creation, with a count), an event at
# time 0 in the risk set of every lead (survfit counts events at 0).
#
# Run from calibrate/testdata:  Rscript survival_reference.R > survival_reference.golden
suppressMessages(library(survival))
d <- read.csv("survival_reference.csv", stringsAsFactors = FALSE)
asof <- as.POSIXct("2025-01-01T00:00:00Z", format = "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
mql <- as.POSIXct(d$mql_at, format = "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
won <- as.POSIXct(ifelse(d$won_at == "", NA, d$won_at), format = "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
event <- as.integer(!is.na(won))
end <- ifelse(is.na(won), as.numeric(asof), as.numeric(won))
time <- pmax(0, (end - as.numeric(mql)) / 86400)
st <- factor(ifelse(event == 1, "won", "censored"), levels = c("censored", "won"))
fit <- survfit(Surv(time, st) ~ 1)
at <- c(7, 14, 30, 60, 90, 180, 365)
s <- summary(fit, times = at, extend = TRUE)
cif <- s$pstate[, which(s$states == "won")]
km <- summary(survfit(Surv(time, event) ~ 1), times = at, extend = TRUE)$surv
# Delayed entry (left truncation): the leads with a time > 0, the even
# rows (1-based) entering the risk set at half their time,
# survfit(Surv(entry, time, event)) (the counting form needs time > entry).
entry <- ifelse(seq_along(time) %% 2 == 0, time / 2, 0)
k <- time > 0
lt <- summary(survfit(Surv(entry[k], time[k], event[k]) ~ 1), times = at, extend = TRUE)$surv
cat(sprintf("# R %s, survival %s\n", getRversion(), packageVersion("survival")))
cat("days,cif_won,km_survival,km_delayed_entry\n")
cat(sprintf("%d,%.17g,%.17g,%.17g\n", at, cif, km, lt), sep = "")
