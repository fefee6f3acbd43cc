# lit configuration for taskleak. Run through ctest, or by hand:
#   python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv \
#       --param taskleak_site=build/test/lit.site.cfg.py test/checkers
import os
import lit.formats

config.name = "taskleak"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test", ".c", ".mm"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "unit"]
config.test_source_root = os.path.dirname(__file__)

site = lit_config.params.get("taskleak_site")
if not site or not os.path.exists(site):
    lit_config.fatal("pass --param taskleak_site=<build>/test/lit.site.cfg.py "
                     "(ctest does this for you)")
lit_config.load_config(config, site)
config.test_exec_root = os.path.join(config.taskleak_obj_root, "test")

inputs = os.path.join(config.test_source_root, "Inputs")
tidy = "%s --load=%s" % (config.clang_tidy, config.taskleak_plugin)
# Mock headers stand in for the real libraries; -isystem makes them behave
# like system headers (spawns inside them are not user code).
mock_flags = "-std=c++20 -nostdinc++ -isystem %s" % inputs
config.substitutions.append(("%clang_tidy", tidy))
config.substitutions.append(("%mock_flags", mock_flags))
config.substitutions.append(("%clangxx", config.clangxx))
config.substitutions.append(("%taskleak_src", config.taskleak_src_root))
config.substitutions.append(("%taskleak_plugin", config.taskleak_plugin))
config.substitutions.append(("%taskleak_cmd",
                             "%s %s" % (config.python,
                                        os.path.join(config.taskleak_src_root,
                                                     "tools", "taskleak"))))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("FileCheck", config.filecheck))
if config.not_tool:
    config.substitutions.append(("%not", config.not_tool))

import shutil
if shutil.which("clang-tidy-14"):
    config.available_features.add("clang-tidy-14")

# The taskleak command finds the plugin and clang-tidy through these.
config.environment["TASKLEAK_PLUGIN"] = config.taskleak_plugin
config.environment["TASKLEAK_CLANG_TIDY"] = config.clang_tidy
for var in ("HOME", "PATH", "TMPDIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
