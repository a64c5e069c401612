// Jest reporter: appends "<passed> <failed> <skipped>" for this Jest run to the file named by
// $SP_TEST_SUMMARY, so tools/test-all.sh can print one closing line over every tier and project.
const { appendFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.SP_TEST_SUMMARY;
    if (!file) return;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    appendFileSync(file, `${results.numPassedTests} ${failed} ${skipped}\n`);
  }
}
module.exports = SummaryReporter;
