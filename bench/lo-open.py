"""lo-open.py FILE PASSWORD SHEET CELL: has LibreOffice open a
password-protected workbook, as a user would with the password, and prints
the text of one cell. It exits 1, saying so, when LibreOffice cannot open
the file (a wrong password among other reasons)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


path, password, sheet, cell = sys.argv[1:5]
profile = tempfile.mkdtemp()
pipe = "improvementtracker%d" % os.getpid()
office = subprocess.Popen(
    ["soffice", "--headless", "--norestore", "--nologo", "-env:UserInstallation=file://" + profile,
     "--accept=pipe,name=%s;urp;" % pipe],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    else:
        sys.exit("LibreOffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
            (prop("Hidden", True), prop("ReadOnly", True), prop("Password", password)))
    except Exception:  # LibreOffice refuses a wrong password this way
        doc = None
    if doc is None:
        print("LibreOffice could not open %s with that password" % path, file=sys.stderr)
        sys.exit(1)
    print(doc.Sheets.getByName(sheet).getCellRangeByName(cell).getString())
    doc.close(True)
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
    shutil.rmtree(profile, ignore_errors=True)
