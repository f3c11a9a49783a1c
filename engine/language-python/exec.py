# Runs a Pulumi Python program for engine/language-python: configures the `pulumi` SDK's runtime
# with what the engine passed, then runs the program's __main__.py inside the root Stack resource.
import argparse
import asyncio
import os
import runpy
import sys
import traceback

import pulumi
from pulumi.runtime import settings, stack

# Exit code that tells the host the error is already shown to the user.
EXIT_USER_MESSAGE = 32


def parse_args():
    parser = argparse.ArgumentParser()
    for flag in ("--project", "--stack", "--monitor", "--engine", "--organization", "--root-directory", "--pwd"):
        parser.add_argument(flag, default=None)
    parser.add_argument("--parallel", type=int, default=None)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("program")
    return parser.parse_args()


def main():
    args = parse_args()
    if args.pwd:
        os.chdir(args.pwd)
    program = os.path.abspath(args.program)
    main_file = os.path.join(program, "__main__.py") if os.path.isdir(program) else program
    program_dir = os.path.dirname(main_file)
    sys.path.insert(0, program_dir)

    settings.configure(settings.Settings(
        project=args.project,
        stack=args.stack,
        monitor=args.monitor,
        engine=args.engine,
        parallel=args.parallel,
        dry_run=args.dry_run,
        organization=args.organization,
        root_directory=args.root_directory,
    ))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(stack.run_in_stack(lambda: runpy.run_path(main_file, run_name="__main__")))
    except pulumi.RunError as err:
        pulumi.log.error(str(err))
        sys.exit(EXIT_USER_MESSAGE)
    except Exception:  # the program's own failure: show it once, with its traceback
        pulumi.log.error("Program failed with an unhandled exception:\n" + traceback.format_exc())
        sys.exit(EXIT_USER_MESSAGE)
    finally:
        loop.close()


if __name__ == "__main__":
    main()
