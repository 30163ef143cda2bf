fn main() {
    frontdesk_console::mount();
}
