// A malformed option is a configuration error with a non-zero exit, never a
// silent no-op.
// RUN: %not %clang_tidy --checks='-*,taskleak-endless-task' \
// RUN:   --config="{CheckOptions: {taskleak-endless-task.SpawnFunctions: 'ok::spawn;3bad'}}" \
// RUN:   %s -- %mock_flags 2>&1 | FileCheck %s
// CHECK: error: invalid entry '3bad' in option 'SpawnFunctions' of check 'taskleak-endless-task': expected a ';'-separated list of fully qualified names such as 'mylib::spawn' [clang-tidy-config]
// RUN: %not %clang_tidy --checks='-*,taskleak-unstopped-ticker' \
// RUN:   --config="{CheckOptions: {ReceiveMethods: 'a::b::'}}" %s -- %mock_flags 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TRAILING
// TRAILING: error: invalid entry 'a::b::' in option 'ReceiveMethods'
int main() {}
