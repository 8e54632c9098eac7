from altegio_server.cli import main

raise SystemExit(main())
