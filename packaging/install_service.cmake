# Run at install time (install(SCRIPT) in packaging/CMakeLists.txt): writes the towerwatch-monitor service with
# the paths of this install. The prefix is known only now (`cmake --install --prefix`, or /usr for the .deb),
# and the configuration goes to /etc when the prefix is /usr, as GNUInstallDirs' rule for SYSCONFDIR says;
# under any other prefix to PREFIX/etc. DESTDIR (cpack's staging) is applied by file(INSTALL).
set(prefix "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/+$" "" prefix "${prefix}")
if(prefix STREQUAL "/usr" OR prefix STREQUAL "")
  set(TW_SYSCONFDIR "/etc")
else()
  set(TW_SYSCONFDIR "${prefix}/etc")
endif()
set(TW_BINARY "${prefix}/${TW_BINDIR}/towerwatch")
set(TW_SERVICE_HELPER "${prefix}/${TW_LIBEXECDIR}/towerwatch/monitor-service")
set(TW_MONITOR_CONF "${TW_SYSCONFDIR}/towerwatch/monitor.conf")
set(TW_COLLECT_CONF "${TW_SYSCONFDIR}/towerwatch/collect.conf")
# systemd searches /usr/lib/systemd/system (the .deb; /lib/systemd/system is the same directory on Debian's
# merged /usr) and /usr/local/lib/systemd/system; other prefixes: enable with `systemctl link`.
set(unit_dir "${prefix}/lib/systemd/system")

set(out "${TW_PACKAGING_BINARY_DIR}/service")
configure_file("${TW_PACKAGING_DIR}/systemd/towerwatch-monitor.service.in" "${out}/towerwatch-monitor.service" @ONLY)
configure_file("${TW_PACKAGING_DIR}/systemd/towerwatch-collect.service.in" "${out}/towerwatch-collect.service" @ONLY)
configure_file("${TW_PACKAGING_DIR}/monitor-service.in" "${out}/monitor-service" @ONLY)
configure_file("${TW_PACKAGING_DIR}/monitor.conf.in" "${out}/monitor.conf" @ONLY)

file(INSTALL "${out}/towerwatch-monitor.service" "${out}/towerwatch-collect.service" DESTINATION "${unit_dir}")
file(INSTALL "${out}/monitor-service" DESTINATION "${prefix}/${TW_LIBEXECDIR}/towerwatch"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
file(INSTALL "${out}/monitor.conf" DESTINATION "${TW_SYSCONFDIR}/towerwatch")
