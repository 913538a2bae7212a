from coursebook.cli import main

main()
