"""Runs a command in a new pseudo-terminal (120x40, TERM=xterm-256color) and relays bytes: this
process's stdin to the terminal, the terminal to this process's stdout. Exits with the command's
status once it has exited. The itests drive bin/cordon through it as a person at a terminal would."""
import fcntl, os, pty, select, struct, sys, termios

pid, master = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    os.execv(sys.argv[1], sys.argv[1:])
fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
inputs = [0, master]
while True:
    ready, _, _ = select.select(inputs, [], [])
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(master, data)
        else:
            inputs.remove(0)  # the test closed our stdin: keep relaying output
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command has exited and the terminal is gone
            break
        if not data:
            break
        os.write(1, data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
